-- one row per fact stating the claim, each with its value, date and citation, oldest source first
select
    f.fact_id,
    f.value_label,
    f.date_label,
    f.date_basis,
    f.title,
    s.title as source_title,
    s.publisher as source_publisher,
    s.published_label as source_published_label,
    f.source_line,
    f.evidence
from facts as f
join sources as s on s.source_id = f.source_id
where f.claim_id = $claim_id
order by s.published_date nulls last, f.fact_id
