-- an entity's dated facts per month and kind, for its strip chart
select date_trunc('month', f.fact_date) as fact_date, f.kind, count(*) as fact_count
from facts as f
where f.fact_no in (select fe.fact_no from fact_entities as fe where fe.entity_id = $entity_id)
  and f.fact_date is not null
group by all
order by fact_date, f.kind
