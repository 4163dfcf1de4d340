-- the facts in view (the rows facts.sql shows), each with `ord`, its sort key; tracker/read.py
-- orders and cuts them into a page, counts them, or (the CSV) takes them all. $sort: newest or oldest first
select f.fact_no, date_order(f.fact_no, f.fact_date, $sort = 'oldest') as ord
from facts_in_view($entity_ids, $date_from, $date_to, $kinds, $topics, $countries, $statuses, $search) as f
where (not $dated_only or f.fact_date is not null)
  and ($starts_after is null or f.fact_date > $starts_after)
