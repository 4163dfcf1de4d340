-- the chip_node facts on one track in view (the rows chip_nodes.sql shows), each with `ord`, its sort
-- key; tracker/read.py pages, counts or takes them all. $sort: oldest (default) or newest first
select
    f.fact_no,
    date_order(f.fact_no, f.fact_date, $sort <> 'newest') as ord
from facts_in_view($entity_ids, $date_from, $date_to, null, $topics, $countries, $statuses, $search) as f
join chip_nodes as c on c.fact_no = f.fact_no
where c.metric = $metric
  and f.unit is not distinct from $unit
  and ($company_ids is null or list_contains($company_ids, c.company_id))
