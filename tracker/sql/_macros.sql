-- Loaded once per connection. facts_in_view: one row per fact that passes the shared
-- filters. Every argument may be null, meaning "no restriction". Entities are matched
-- through fact_entities (sorted by entity in the store, so a few blocks are read) and the
-- search through search_text (title and evidence, lowercased at build time).
create or replace macro facts_in_view(entity_ids, date_from, date_to, kinds, topics, countries, statuses, search) as table
select f.*
from facts as f
where (entity_ids is null
       or f.fact_no in (select fe.fact_no from fact_entities as fe
                        where fe.entity_id in (select unnest(entity_ids))))
  and (date_from is null or f.fact_date >= date_from)
  and (date_to is null or f.fact_date <= date_to)
  and (kinds is null or list_contains(kinds, f.kind))
  and (topics is null or list_contains(topics, f.topic))
  and (countries is null or list_has_any(countries, f.countries))
  and (statuses is null or list_contains(statuses, f.status))
  and (search is null or contains(f.search_text, lower(search)));

-- a number as people read it: 344 B, 1.4 M, 18
create or replace macro human(v) as
    case
        when v is null then null
        when abs(v) >= 1e12 then printf('%.4g T', v / 1e12)
        when abs(v) >= 1e9 then printf('%.4g B', v / 1e9)
        when abs(v) >= 1e6 then printf('%.4g M', v / 1e6)
        else printf('%.6g', v)
    end;

-- one row per claim that is disputed, with its competing values side by side
create or replace macro disputed_claims() as table
with variants as (
    select distinct
        f.claim_id,
        coalesce(human(f.value) || coalesce('–' || human(f.value_high), '') || coalesce(' ' || f.unit, ''), 'no value')
            || coalesce(' (' || strftime(f.fact_date, '%Y-%m-%d') || ')', '') || ' [' || f.source_id || ']' as variant
    from facts as f
    where f.is_disputed
)
select v.claim_id, string_agg(v.variant, '  |  ' order by v.variant) as claim_values
from variants as v
group by v.claim_id;

-- a short label for charts: the first short latin alias (SMIC, TSMC), else the name
create or replace macro short_name(name, aliases) as
    coalesce(list_filter(aliases, lambda a: length(a) <= 12 and regexp_full_match(a, '[A-Za-z0-9 .&-]+'))[1], name);
