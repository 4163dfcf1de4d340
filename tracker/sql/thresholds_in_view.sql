-- one row per control threshold, optionally on one parameter (the chip metric it applies to)
select
    f.fact_id,
    f.fact_date,
    t.parameter,
    t.comparator,
    f.value,
    f.unit,
    t.applies_to,
    t.rule_fact_id,
    f.status,
    f.title,
    s.title as source_title,
    f.source_id,
    f.source_line,
    f.evidence
from facts_in_view(null, null, null, null, null, null, null, null) as f
join thresholds as t on t.fact_no = f.fact_no
    and ($parameter is null or t.parameter = $parameter)
join sources as s on s.source_id = f.source_id
order by t.parameter, f.fact_date nulls last
