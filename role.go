package cunjing

import "slices"

// Role is what an account may do. An account has exactly one role, so the
// three separated administrator roles (三员分立) can never meet in one.
type Role string

// Roles of the police force, from the top, and the three administrators.
const (
	RoleCityAdmin     Role = "city_admin"     // 市局管理员
	RoleCountyAdmin   Role = "county_admin"   // 县局管理员
	RoleStationChief  Role = "station_chief"  // 派出所所长
	RoleOfficer       Role = "officer"        // 民警
	RoleAuxiliary     Role = "auxiliary"      // 辅警
	RoleLeader        Role = "leader"         // 领导: statistics only
	RoleSystemAdmin   Role = "system_admin"   // 系统管理员: accounts
	RoleSecurityAdmin Role = "security_admin" // 安全管理员: roles, scopes, policies
	RoleAuditor       Role = "auditor"        // 审计员: the audit trail only
)

// Roles lists every role.
var Roles = []Role{RoleCityAdmin, RoleCountyAdmin, RoleStationChief, RoleOfficer, RoleAuxiliary, RoleLeader,
	RoleSystemAdmin, RoleSecurityAdmin, RoleAuditor}

// Permission is one thing a role may do.
type Permission string

// Permissions checked by routes and services.
const (
	PermReadJurisdiction Permission = "read_jurisdiction" // areas, units and their figures
	PermReadPersonal     Permission = "read_personal"     // unmasked personal data
	PermWriteData        Permission = "write_data"        // jurisdiction data in scope
	PermManageAccounts   Permission = "manage_accounts"   // create, disable, reset accounts
	PermManageSecurity   Permission = "manage_security"   // roles, scopes, policies
	PermImportDivisions  Permission = "import_divisions"  // official division codes
	PermReadAudit        Permission = "read_audit"        // the audit trail
	PermManageStaff      Permission = "manage_staff"      // staff, assignments, dual posts, grids, venues, offices in scope
	PermManageStaffing   Permission = "manage_staffing"   // staffing models and the office standard
)

// rolePermissions is the role × permission matrix. The city and county
// administrators manage the accounts of their own jurisdiction, up to their
// own rank; the system administrator manages every account.
var rolePermissions = map[Role][]Permission{
	RoleCityAdmin:     {PermReadJurisdiction, PermReadPersonal, PermWriteData, PermManageAccounts, PermManageStaff, PermManageStaffing},
	RoleCountyAdmin:   {PermReadJurisdiction, PermReadPersonal, PermWriteData, PermManageAccounts, PermManageStaff, PermManageStaffing},
	RoleStationChief:  {PermReadJurisdiction, PermReadPersonal, PermWriteData, PermManageStaff},
	RoleOfficer:       {PermReadJurisdiction, PermReadPersonal, PermWriteData},
	RoleAuxiliary:     {PermReadJurisdiction, PermReadPersonal, PermWriteData},
	RoleLeader:        {PermReadJurisdiction},
	RoleSystemAdmin:   {PermReadJurisdiction, PermManageAccounts, PermImportDivisions},
	RoleSecurityAdmin: {PermReadJurisdiction, PermManageSecurity},
	RoleAuditor:       {PermReadAudit},
}

// Can reports whether the role has the permission.
func (r Role) Can(p Permission) bool {
	return slices.Contains(rolePermissions[r], p)
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	return slices.Contains(Roles, r)
}

// SeesPersonalData reports whether the role reads personal data, and so
// needs a second factor when the policy asks for one.
func (r Role) SeesPersonalData() bool {
	return r.Can(PermReadPersonal)
}

// IsAdministrator reports whether r is one of the three separated
// administrator roles, which hold no data scope of their own.
func (r Role) IsAdministrator() bool {
	return r == RoleSystemAdmin || r == RoleSecurityAdmin || r == RoleAuditor
}

// roleRank orders the police roles: an account administrator may give a
// role only up to the rank of his own unit's level.
var roleRank = map[Role]int{RoleCityAdmin: 5, RoleLeader: 4, RoleCountyAdmin: 4, RoleStationChief: 3, RoleOfficer: 2, RoleAuxiliary: 1}

// Outranks reports whether r ranks at least as high as other among the
// police roles; administrator roles rank above all of them.
func (r Role) Outranks(other Role) bool {
	if r.IsAdministrator() {
		return !other.IsAdministrator() || r == other
	}
	return roleRank[r] >= roleRank[other] && !other.IsAdministrator()
}
