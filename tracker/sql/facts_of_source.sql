-- one row per fact citing the source, in line order. $limit/$offset page through it.
select
    f.fact_id,
    f.source_line,
    f.kind,
    f.status,
    f.title,
    f.fact_date,
    f.date_precision,
    f.date_qualifier,
    f.date_label,
    f.date_basis,
    f.value,
    f.value_high,
    f.value_qualifier,
    f.unit,
    f.value_label,
    f.is_disputed,
    f.evidence
from facts as f
where f.source_id = $source_id
order by f.source_line, f.fact_id
limit $limit offset $offset
