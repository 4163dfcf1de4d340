-- how many funding facts funding_in_view pages through
select count(*) as row_count
from facts_in_view($entity_ids, $date_from, $date_to, null, null, $countries, $statuses, $search) as f
join funding as g on g.fact_no = f.fact_no
where ($funding_types is null or list_contains($funding_types, g.funding_type))
