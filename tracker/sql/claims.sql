-- one row per claim that facts in view state (two statements or more): what it is about (claim_subject:
-- the title of its first fact in view), whether its sources agree, the competing values when they do not, and that
-- fact to open. $sort: disagreements first, or the claims stated by the most sources first.
-- $limit/$offset page through it.
with touched as (
    select f.claim_id, min(f.fact_no) as fact_no
    from facts_in_view($entity_ids, $date_from, $date_to, $kinds, $topics, $countries, $statuses, $search) as f
    where f.claim_id is not null
    group by f.claim_id
)
select
    c.claim_id,
    f.title as claim_subject,
    c.claim_label,
    c.claim_values,
    c.claim_sources,
    c.claim_facts,
    f.is_disputed,
    f.fact_id
from touched as t
join claims as c on c.claim_id = t.claim_id
join facts as f on f.fact_no = t.fact_no
where c.claim_facts > 1
order by
    case when $sort = 'sources' then 0 else (not f.is_disputed)::integer end,
    c.claim_sources desc,
    c.claim_facts desc,
    c.claim_id
limit $limit offset $offset
