-- one row per chip-node metric and unit in the data, with how many facts use it
select c.metric, f.unit, count(*) as fact_count
from chip_nodes as c
join facts as f on f.fact_id = c.fact_id
where f.value is not null
group by c.metric, f.unit
order by fact_count desc, c.metric
