-- an entity's dated facts per year and kind, for its strip chart: per year, not per month, because a
-- fact dated only to a year (or a quarter) has no month to be counted in
select date_trunc('year', f.fact_date) as fact_date, f.kind, count(*) as fact_count
from facts as f
where f.fact_no in (select fe.fact_no from fact_entities as fe where fe.entity_id = $entity_id)
  and f.fact_date is not null
group by all
order by fact_date, f.kind
