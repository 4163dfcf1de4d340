-- one row per group (funder, country or year) with its USD total over the funding facts in
-- view; facts linked as one claim count once, at the lowest amount reported for the claim. A
-- total adds what the text gives: a range at its low end, "over $47B" as 47B; the counts of
-- floors (over, at least, a range's low end), ceilings (under, up to) and approximate amounts
-- say how to read it
with in_view as (
    select
        f.fact_id,
        coalesce(f.claim_id, f.fact_id) as claim_key,
        f.fact_date,
        f.amount_usd,
        f.amount_usd_high,
        f.value_qualifier,
        f.countries,
        f.lane_country,
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
            when 'country' then coalesce(o.lane_country, 'no single country')  -- the funder's, see the README
            else coalesce(cast(year(o.fact_date) as varchar), 'undated')
        end as group_label
    from one_per_claim as o
    left join entities as e on e.entity_id = o.funder_id
)
select
    l.group_label,
    sum(l.amount_usd) as total_usd,
    count(*) as fact_count,
    count(*) filter (where l.value_qualifier in ('over', 'at_least') or l.amount_usd_high is not null) as floors,
    count(*) filter (where l.value_qualifier in ('under', 'up_to')) as ceilings,
    count(*) filter (where l.value_qualifier = 'about') as approximate
from labelled as l
group by l.group_label
order by total_usd desc
