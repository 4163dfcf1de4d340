-- how many facts are in view (the rows facts_with_citations pages through)
select count(*) as row_count
from facts_in_view($entity_ids, $date_from, $date_to, $kinds, $topics, $countries, $statuses, $search) as f
where (not $dated_only or f.fact_date is not null)
  and ($starts_after is null or f.fact_date > $starts_after)
