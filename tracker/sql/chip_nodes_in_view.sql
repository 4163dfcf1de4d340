-- one row per chip_node fact in view, with company name and citation
select
    f.fact_id,
    f.fact_date,
    f.date_precision,
    f.date_basis,
    c.company_id,
    coalesce(short_name(e.name, e.aliases), 'Unattributed (' || array_to_string(f.countries, '/') || ')') as company_name,
    coalesce(e.country, f.countries[1]) as company_country,
    c.product,
    c.metric,
    f.value,
    f.value_high,
    f.unit,
    f.status,
    c.lithography,
    f.title,
    f.claim_id,
    f.is_disputed,
    d.claim_values,
    s.title as source_title,
    f.source_id,
    f.source_line,
    f.evidence
from facts_in_view($entity_ids, $date_from, $date_to, null, $topics, $countries, $statuses, $search) as f
join chip_nodes as c on c.fact_id = f.fact_id
left join entities as e on e.entity_id = c.company_id
join sources as s on s.source_id = f.source_id
left join disputed_claims() as d on d.claim_id = f.claim_id
order by c.metric, f.fact_date nulls last, e.name
