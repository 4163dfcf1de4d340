-- ids of entities merged into another (`replaces:` in its file): a link naming an old id still finds the entity
select old_id, entity_id from entity_replacements order by old_id
