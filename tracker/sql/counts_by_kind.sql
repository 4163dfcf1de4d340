-- one row per kind of fact in view, with how many there are
select f.kind, count(*) as fact_count
from facts_in_view($entity_ids, $date_from, $date_to, $kinds, $topics, $countries, $statuses, $search) as f
group by f.kind
order by fact_count desc, f.kind
