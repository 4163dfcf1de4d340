-- one row per fact naming the entity (in any role), newest first, with its citation.
-- $limit/$offset page through it.
with picked as (
    select distinct fe.fact_no
    from fact_entities as fe
    where fe.entity_id = $entity_id
    order by fe.fact_no
    limit $limit offset $offset
),
roles as (  -- only for the page: a much-cited entity has hundreds of thousands of links
    select fe.fact_no, string_agg(distinct fe.role, ', ' order by fe.role) as roles
    from fact_entities as fe
    where fe.entity_id = $entity_id and fe.fact_no in (select fact_no from picked)
    group by fe.fact_no
),
page as (
    select f.*, r.roles
    from roles as r
    join facts as f on f.fact_no = r.fact_no
)
select
    f.fact_id,
    f.fact_date,
    f.date_precision,
    f.date_qualifier,
    f.date_label,
    f.date_basis,
    f.kind,
    f.status,
    f.title,
    f.value,
    f.value_high,
    f.value_qualifier,
    f.unit,
    f.value_label,
    f.is_disputed,
    f.roles,
    s.title as source_title,
    f.source_id,
    f.source_line,
    f.evidence
from page as f
join sources as s on s.source_id = f.source_id
order by f.fact_no
