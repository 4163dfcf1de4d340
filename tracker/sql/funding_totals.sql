-- one row per group (funder, country or year) with its USD total over the funding facts in
-- view; facts linked as one claim count once, at the lowest amount reported for the claim
with in_view as (
    select
        f.fact_id,
        coalesce(f.claim_id, f.fact_id) as claim_key,
        f.fact_date,
        f.amount_usd,
        f.countries,
        g.funder_id,
        g.funding_type
    from facts_in_view($entity_ids, $date_from, $date_to, null, null, $countries, $statuses, $search) as f
    join funding as g on g.fact_no = f.fact_no
    where f.amount_usd is not null
      and ($funding_types is null or list_contains($funding_types, g.funding_type))
),
one_per_claim as (
    select *
    from in_view
    qualify row_number() over (partition by claim_key order by amount_usd, fact_id) = 1
),
labelled as (
    select
        o.*,
        case $group_by
            when 'funder' then coalesce(e.name, 'unnamed funder')
            when 'country' then coalesce(o.countries[1], 'unknown')
            else coalesce(cast(year(o.fact_date) as varchar), 'undated')
        end as group_label
    from one_per_claim as o
    left join entities as e on e.entity_id = o.funder_id
)
select
    l.group_label,
    sum(l.amount_usd) as total_usd,
    count(*) as fact_count
from labelled as l
group by l.group_label
order by total_usd desc
