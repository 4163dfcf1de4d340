-- how many chip_node facts chip_nodes_in_view pages through
select count(*) as row_count
from facts_in_view($entity_ids, $date_from, $date_to, null, $topics, $countries, $statuses, $search) as f
join chip_nodes as c on c.fact_no = f.fact_no
where c.metric = $metric
  and f.unit is not distinct from $unit
  and ($company_ids is null or list_contains($company_ids, c.company_id))
