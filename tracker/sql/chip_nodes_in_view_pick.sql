-- the fact_no of each row chip_nodes_in_view.sql shows, in its order: the page, cut on narrow columns
select f.fact_no
from facts_in_view($entity_ids, $date_from, $date_to, null, $topics, $countries, $statuses, $search) as f
join chip_nodes as c on c.fact_no = f.fact_no
where c.metric = $metric
  and f.unit is not distinct from $unit
  and ($company_ids is null or list_contains($company_ids, c.company_id))
order by f.fact_date nulls last, f.fact_no
limit $limit offset $offset
