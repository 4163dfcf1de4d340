-- one row per fact naming the entity (in any role), newest first, with its citation.
-- $limit/$offset page through it.
with picked as (
    select fe.fact_no, string_agg(distinct fe.role, ', ' order by fe.role) as roles
    from fact_entities as fe
    where fe.entity_id = $entity_id
    group by fe.fact_no
    order by fe.fact_no
    limit $limit offset $offset
),
page as (
    select f.*, p.roles
    from picked as p
    join facts as f on f.fact_no = p.fact_no
)
select
    f.fact_id,
    f.fact_date,
    f.date_precision,
    f.date_basis,
    f.kind,
    f.status,
    f.title,
    f.is_disputed,
    f.roles,
    s.title as source_title,
    f.source_id,
    f.source_line,
    f.evidence
from page as f
join sources as s on s.source_id = f.source_id
order by f.fact_no
