-- the fact_no of each row funding_in_view.sql shows, in its order: the page, cut on narrow columns
select f.fact_no
from facts_in_view($entity_ids, $date_from, $date_to, null, null, $countries, $statuses, $search) as f
join funding as g on g.fact_no = f.fact_no
where ($funding_types is null or list_contains($funding_types, g.funding_type))
order by f.amount_usd desc nulls last, f.fact_no
limit $limit offset $offset
