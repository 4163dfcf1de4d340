-- one row per chip-node metric and unit in the data, with how many facts use it (counted at build time)
select metric, unit, fact_count
from chip_metric_counts
order by fact_count desc, metric
