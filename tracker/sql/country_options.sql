-- one row per country code that facts name, most named first (counted at build time)
select country, fact_count
from country_counts
order by fact_count desc, country
