-- how many facts cite the source
select count(*) as row_count from facts as f where f.source_id = $source_id
