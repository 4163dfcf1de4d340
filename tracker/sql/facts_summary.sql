-- one row: how many facts are in view, how many are dated and over what span, how many
-- disputed claims they touch
select
    count(*) as fact_count,
    count(f.fact_date) as dated_count,
    min(f.fact_date) as first_date,
    max(f.fact_date) as last_date,
    count(distinct f.claim_id) filter (where f.is_disputed) as disputed_claims
from facts_in_view($entity_ids, $date_from, $date_to, $kinds, $topics, $countries, $statuses, $search) as f
