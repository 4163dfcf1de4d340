-- one row per fact in $fact_nos (a page picked by facts_of_entity_rows.sql), with the roles
-- $entity_id plays in it and its citation, in the list's order
with picked as (
    select * from listed_rows($fact_nos)
),
roles as (  -- only for the page: a much-cited entity has hundreds of thousands of links
    select fe.fact_no, string_agg(distinct fe.role, ', ' order by fe.role) as roles
    from fact_entities as fe
    where fe.entity_id = $entity_id and fe.fact_no in (select fact_no from picked)
    group by fe.fact_no
),
page as (
    select f.*, r.roles, p.ord
    from picked as p
    join roles as r on r.fact_no = p.fact_no
    join facts as f on f.fact_no = p.fact_no
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
order by f.ord
