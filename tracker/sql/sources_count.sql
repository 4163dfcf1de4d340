-- how many sources there are (sources_in_view lists every one)
select count(*) as row_count from sources
