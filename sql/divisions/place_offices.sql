-- Every office placed afresh (after the division table was reloaded): the same statement as at the end
-- of load/office_upsert.sql; the rule itself is the macro office_division (sql/210_office_divisions.sql).
UPDATE office SET province_code = d.province_code, province = d.province, city_code = d.city_code,
                  city = d.city, county_code = d.county_code, county = d.county
FROM office_division() d
WHERE d.office_id = office.office_id;
