-- the chip chart when too many facts are in view to draw one by one: per company (the
-- $limit companies with most facts, or $company_ids), status and year, the most advanced
-- value reported ($smaller_is_better: the lowest) and how many facts stand behind it
with track as (
    select f.fact_date, f.value, f.status, c.company_id, f.countries
    from facts_in_view($entity_ids, $date_from, $date_to, null, $topics, $countries, $statuses, $search) as f
    join chip_nodes as c on c.fact_no = f.fact_no
    where c.metric = $metric and f.unit is not distinct from $unit
      and f.fact_date is not null and f.value is not null
      and ($company_ids is null or list_contains($company_ids, c.company_id))
),
top_companies as (
    select company_id, count(*) as n from track group by company_id order by n desc, company_id limit $limit
)
select
    make_date(year(t.fact_date), 7, 1) as fact_date,
    coalesce(short_name(e.name, e.aliases), 'Unattributed') as company_name,
    t.status,
    case when $smaller_is_better then min(t.value) else max(t.value) end as value,
    count(*) as fact_count
from track as t
join top_companies as top on top.company_id is not distinct from t.company_id
left join entities as e on e.entity_id = t.company_id
group by all
order by fact_date, company_name
