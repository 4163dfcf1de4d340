-- how many facts name the entity and pass the shared date and search filters
select count(*) as row_count
from facts_in_view([$entity_id], $date_from, $date_to, null, null, null, null, $search) as f
