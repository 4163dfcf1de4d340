-- the fact_no of each row facts_with_citations.sql shows, in its order: the page, cut on narrow columns
select f.fact_no
from facts_in_view($entity_ids, $date_from, $date_to, $kinds, $topics, $countries, $statuses, $search) as f
where (not $dated_only or f.fact_date is not null)
order by f.fact_no
limit $limit offset $offset
