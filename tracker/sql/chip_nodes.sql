-- one row per chip_node fact in $fact_nos (a page picked by chip_nodes_rows.sql: one
-- track, oldest first), with company name and citation, in the list's order
with picked as (
    select * from listed_rows($fact_nos)
)
select
    f.fact_id,
    f.fact_date,
    f.date_end,
    f.date_precision,
    f.date_qualifier,
    f.date_label,
    f.date_basis,
    f.date_note,
    f.company_id,
    coalesce(short_name(e.name, e.aliases), 'Unattributed (' || array_to_string(f.countries, '/') || ')') as company_name,
    coalesce(e.country, f.countries[1]) as company_country,
    f.product,
    f.metric,
    f.value,
    f.value_high,
    f.value_qualifier,
    f.unit,
    f.value_label,
    f.status,
    f.lithography,
    f.title,
    f.claim_id,
    f.is_disputed,
    d.claim_label,
    d.claim_values,
    s.title as source_title,
    f.source_id,
    f.source_line,
    f.evidence
from picked as p
join chip_nodes as f on f.fact_no = p.fact_no  -- the fact's columns are in it too
left join entities as e on e.entity_id = f.company_id
join sources as s on s.source_id = f.source_id
left join claims as d on d.claim_id = f.claim_id
order by p.ord
