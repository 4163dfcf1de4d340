-- the fact_no of each row funding_in_view.sql shows, with `ord`, its sort key: the page, cut on narrow
-- columns (or, with $limit null, every row: the CSV)
select f.fact_no, {'missing': f.amount_usd is null, 'amount': -coalesce(f.amount_usd, 0), 'no': f.fact_no} as ord
from facts_in_view($entity_ids, $date_from, $date_to, null, null, $countries, $statuses, $search) as f
join funding as g on g.fact_no = f.fact_no
where ($funding_types is null or list_contains($funding_types, g.funding_type))
order by ord
limit $limit offset $offset
