package main

import (
	"context"
	"fmt"
	"io"

	"cunjing"
	"cunjing/internal/auth"
	"cunjing/internal/store"
)

const userUsage = `usage:
  cunjing user add --role ROLE [--unit CODE] [--name NAME] [--phone PHONE] USERNAME
  cunjing user reset USERNAME
  cunjing user disable USERNAME

add and reset print a one-time password that must be changed at the first login.
Roles: city_admin county_admin station_chief officer auxiliary leader
       system_admin security_admin auditor
`

// userCommand manages accounts from the command line, for the first steps
// and for recovery; it acts as the system and is audited as such.
func userCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, userUsage)
		return errUsage
	}
	var cfg dbConfig
	fs := newFlagSet("user "+args[0], stderr)
	addDBFlags(fs, &cfg)
	role := fs.String("role", "", "role of a new account")
	unit := fs.String("unit", "", "12-digit code of the account's unit")
	name := fs.String("name", "", "display name")
	phone := fs.String("phone", "", "mobile phone")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fmt.Fprint(stderr, userUsage)
		return errUsage
	}
	st, err := store.Open(ctx, cfg.dsn())
	if err != nil {
		return err
	}
	defer st.Close()
	username := fs.Arg(0)
	switch args[0] {
	case "add":
		return addUser(ctx, st, cunjing.User{Username: username, DisplayName: *name, Phone: *phone, Role: cunjing.Role(*role), UnitCode: *unit}, stdout)
	case "reset":
		return resetUser(ctx, st, username, stdout)
	case "disable":
		disabled := true
		if err := st.UpdateUser(ctx, username, cunjing.UserUpdate{Disabled: &disabled}); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s is disabled; its sessions have ended\n", cunjing.CanonicalUsername(username))
		return nil
	}
	fmt.Fprint(stderr, userUsage)
	return errUsage
}

func addUser(ctx context.Context, st *store.Store, u cunjing.User, stdout io.Writer) error {
	password, hash, err := auth.OneTimePassword()
	if err != nil {
		return err
	}
	u.PasswordHash, u.MustChangePassword = hash, true
	if err := st.CreateUser(ctx, u); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created %s (%s); one-time password: %s\n", cunjing.CanonicalUsername(u.Username), u.Role, password)
	return nil
}

func resetUser(ctx context.Context, st *store.Store, username string, stdout io.Writer) error {
	password, hash, err := auth.OneTimePassword()
	if err != nil {
		return err
	}
	if err := st.UpdateUser(ctx, username, cunjing.UserUpdate{PasswordHash: &hash}); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "reset %s: one-time password %s; its sessions and second factor are cleared\n", cunjing.CanonicalUsername(username), password)
	return nil
}
