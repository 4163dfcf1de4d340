-- one row: how many facts are in view, how many are dated and over what span, and how many
-- claims they touch whose sources disagree (disputed) or agree (corroborated: two statements or more)
select
    count(*) as fact_count,
    count(f.fact_date) as dated_count,
    min(f.fact_date) as first_date,
    max(f.fact_date) as last_date,
    count(distinct f.claim_id) filter (where f.is_disputed) as disputed_claims,
    count(distinct f.claim_id) filter (where not f.is_disputed and c.claim_facts > 1) as corroborated_claims
from facts_in_view($entity_ids, $date_from, $date_to, $kinds, $topics, $countries, $statuses, $search) as f
left join claims as c on c.claim_id = f.claim_id
