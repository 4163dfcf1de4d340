-- the fact_no of each row facts_with_citations.sql shows, with `ord`, its sort key: the page, cut on narrow
-- columns (or, with $limit null, every row: the CSV); $sort: newest or oldest first
select f.fact_no, date_order(f.fact_no, f.fact_date, $sort = 'oldest') as ord
from facts_in_view($entity_ids, $date_from, $date_to, $kinds, $topics, $countries, $statuses, $search) as f
where (not $dated_only or f.fact_date is not null)
  and ($starts_after is null or f.fact_date > $starts_after)
order by ord
limit $limit offset $offset
