-- how many facts name the entity
select count(distinct fe.fact_no) as row_count
from fact_entities as fe
where fe.entity_id = $entity_id
