-- one row per control threshold, optionally on one parameter (the chip metric it applies to);
-- the store's thresholds table carries its fact's columns
select
    t.fact_id,
    t.fact_date,
    t.date_label,
    t.parameter,
    t.comparator,
    t.value,
    t.unit,
    t.value_label,
    t.applies_to,
    t.rule_fact_id,
    t.status,
    t.title,
    s.title as source_title,
    t.source_id,
    t.source_line,
    t.evidence
from thresholds as t
join sources as s on s.source_id = t.source_id
where $parameter is null or t.parameter = $parameter
order by t.parameter, t.fact_date nulls last, t.fact_no
