-- Loaded once per connection. facts_in_view: one row per fact that passes the shared
-- filters. Every argument may be null, meaning "no restriction". Entities are matched
-- through fact_entities (sorted by entity in the store, so a few blocks are read) and the
-- search through search_text (title, evidence and the names of the fact's entities, lowercased
-- at build time). A date range keeps facts whose period overlaps it: "2025" is in June-December 2025.
create or replace macro facts_in_view(entity_ids, date_from, date_to, kinds, topics, countries, statuses, search) as table
select f.*
from facts as f
where (entity_ids is null
       or f.fact_no in (select fe.fact_no from fact_entities as fe
                        where fe.entity_id in (select unnest(entity_ids))))
  and (date_from is null or f.date_end >= date_from)  -- a period overlapping the range is in it
  and (date_to is null or f.fact_date <= date_to)
  and (kinds is null or list_contains(kinds, f.kind))
  and (topics is null or list_contains(topics, f.topic))
  and (countries is null or list_has_any(countries, f.countries))
  and (statuses is null or list_contains(statuses, f.status))
  and (search is null or contains(f.search_text, lower(search)));

-- a short label for charts: the first short latin alias (SMIC, TSMC), else the name
create or replace macro short_name(name, aliases) as
    coalesce(list_filter(aliases, lambda a: length(a) <= 12 and regexp_full_match(a, '[A-Za-z0-9 .&-]+'))[1], name);

-- the rows of a page picked by a <table>_pick.sql, as (fact_no, ord): a table's main query
-- joins everything it shows onto these (see tracker.queries.picked)
create or replace macro listed_rows(fact_nos) as table
select unnest(fact_nos::integer[]) as fact_no, generate_subscripts(fact_nos::integer[], 1) as ord;

-- the sort key of "newest first" (fact_no's own order) or, with oldest, "oldest first": undated facts
-- stay last either way (fact_no puts them after every dated fact)
create or replace macro date_order(fact_no, fact_date, oldest) as
    case when not oldest then fact_no::bigint
         when fact_date is null then fact_no::bigint + 10000000000
         else -fact_no::bigint end;
