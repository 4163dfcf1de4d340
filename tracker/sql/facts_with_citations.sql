-- one row per fact in view, with its citation; newest first, undated last
select
    f.fact_id,
    f.fact_date,
    f.date_precision,
    f.date_basis,
    f.kind,
    f.topic,
    f.status,
    f.title,
    f.value,
    f.value_high,
    f.unit,
    f.amount_usd,
    f.entity_ids,
    f.countries,
    f.claim_id,
    f.is_disputed,
    s.title as source_title,
    s.publisher as source_publisher,
    s.published_date as source_published_date,
    f.source_id,
    f.source_line,
    f.evidence
from facts_in_view($entity_ids, $date_from, $date_to, $kinds, $topics, $countries, $statuses, $search) as f
join sources as s on s.source_id = f.source_id
order by f.fact_date desc nulls last, f.fact_id
