-- Residents by the address they live at and the household they belong to:
-- a household's members, the people at an address, and the completeness
-- figures (houses with residents) read them without scanning the table.
CREATE INDEX residents_address ON residents (address_id) WHERE address_id IS NOT NULL;
CREATE INDEX residents_household ON residents (household_id) WHERE household_id IS NOT NULL;
