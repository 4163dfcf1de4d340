-- one row per entity, with its names joined for type-to-search, most-cited first
select
    e.entity_id,
    e.name,
    e.entity_type,
    e.country,
    e.aliases,
    e.parent_id,
    e.fact_count
from entities as e
order by e.fact_count desc, e.name
