-- one row per country code that facts name, most named first
select c.country, count(*) as fact_count
from (select unnest(f.countries) as country from facts as f) as c
group by c.country
order by fact_count desc, c.country
