-- one row per chip_node fact in view on one track ($metric, $unit), optionally only for
-- $company_ids, with company name and citation; oldest first. $limit/$offset page through it.
with picked as (
    select
        f.*,
        c.company_id,
        c.product,
        c.metric,
        c.lithography,
        coalesce(short_name(e.name, e.aliases), 'Unattributed (' || array_to_string(f.countries, '/') || ')') as company_name,
        coalesce(e.country, f.countries[1]) as company_country
    from facts_in_view($entity_ids, $date_from, $date_to, null, $topics, $countries, $statuses, $search) as f
    join chip_nodes as c on c.fact_id = f.fact_id
    left join entities as e on e.entity_id = c.company_id
    where c.metric = $metric
      and f.unit is not distinct from $unit
      and ($company_ids is null or list_contains($company_ids, c.company_id))
    order by f.fact_date nulls last, company_name, f.fact_id
    limit $limit offset $offset
)
select
    f.fact_id,
    f.fact_date,
    f.date_precision,
    f.date_basis,
    f.company_id,
    f.company_name,
    f.company_country,
    f.product,
    f.metric,
    f.value,
    f.value_high,
    f.unit,
    f.status,
    f.lithography,
    f.title,
    f.claim_id,
    f.is_disputed,
    d.claim_values,
    s.title as source_title,
    f.source_id,
    f.source_line,
    f.evidence
from picked as f
join sources as s on s.source_id = f.source_id
left join disputed_claims() as d on d.claim_id = f.claim_id
order by f.fact_date nulls last, f.company_name, f.fact_id
