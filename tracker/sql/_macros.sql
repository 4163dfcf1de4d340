-- Loaded once per connection. facts_in_view: one row per fact that passes the shared
-- filters. Every argument may be null, meaning "no restriction".
create or replace macro facts_in_view(entity_ids, date_from, date_to, kinds, topics, countries, statuses, search) as table
with entity_facts as (
    select distinct fe.fact_id
    from fact_entities as fe
    where list_contains(entity_ids, fe.entity_id)
)
select f.*
from facts as f
where (entity_ids is null or f.fact_id in (select fact_id from entity_facts))
  and (date_from is null or f.fact_date >= date_from)
  and (date_to is null or f.fact_date <= date_to)
  and (kinds is null or list_contains(kinds, f.kind))
  and (topics is null or list_contains(topics, f.topic))
  and (countries is null or list_has_any(countries, f.countries))
  and (statuses is null or list_contains(statuses, f.status))
  and (search is null or contains(lower(f.title || ' ' || f.evidence), lower(search)));
