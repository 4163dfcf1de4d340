-- the facts naming $entity_id in any role that pass the shared date and search filters (the rows
-- facts_of_entity.sql shows), each with `ord`, its sort key. $sort: newest (default) or oldest first
select f.fact_no, date_order(f.fact_no, f.fact_date, $sort = 'oldest') as ord
from facts_in_view([$entity_id], $date_from, $date_to, null, null, null, null, $search) as f
