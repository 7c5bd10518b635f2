package cunjing_test

import (
	"errors"
	"math"
	"testing"
	"time"

	"cunjing"
)

func TestLoginPolicyFloors(t *testing.T) {
	const day = 24 * time.Hour
	for _, c := range []struct {
		p   cunjing.LoginPolicy
		bad []string // the fields named, none when valid
	}{
		{cunjing.LoginPolicy{MinLength: 8, MinClasses: 3, MaxAge: 90 * day}, nil},
		{cunjing.LoginPolicy{MinLength: 12, MinClasses: 1, MaxAge: 0}, nil},
		{cunjing.LoginPolicy{MinLength: 64, MinClasses: 4, MaxAge: 365 * day}, nil},
		{cunjing.LoginPolicy{MinLength: 7, MinClasses: 3, MaxAge: 90 * day}, []string{"min_length"}},
		{cunjing.LoginPolicy{MinLength: 65, MinClasses: 3, MaxAge: 90 * day}, []string{"min_length"}},
		{cunjing.LoginPolicy{MinLength: 11, MinClasses: 2, MaxAge: 90 * day}, []string{"min_classes"}},
		{cunjing.LoginPolicy{MinLength: 20, MinClasses: 5, MaxAge: 90 * day}, []string{"min_classes"}},
		{cunjing.LoginPolicy{MinLength: 8, MinClasses: 3, MaxAge: 365*day + time.Second}, []string{"max_age_days"}},
		{cunjing.LoginPolicy{MinLength: 0, MinClasses: 0, MaxAge: -1}, []string{"min_length", "min_classes", "max_age_days"}},
	} {
		err := c.p.Validate()
		var e *cunjing.Error
		if c.bad == nil {
			if err != nil {
				t.Errorf("%+v: %v; want valid", c.p, err)
			}
			continue
		}
		if !errors.As(err, &e) || e.Code != cunjing.EInvalid || len(e.Fields) != len(c.bad) {
			t.Errorf("%+v: %v; want invalid naming %v", c.p, err, c.bad)
			continue
		}
		for _, f := range c.bad {
			if e.Fields[f] == "" {
				t.Errorf("%+v: fields %v do not name %s", c.p, e.Fields, f)
			}
		}
	}
}

func TestDaysMaxAgeNeverWrapsIntoBounds(t *testing.T) {
	for _, days := range []int{-1, 366, 106752, math.MaxInt, math.MinInt} {
		p := cunjing.LoginPolicy{MinLength: 8, MinClasses: 3, MaxAge: cunjing.DaysMaxAge(days)}
		if p.Validate() == nil {
			t.Errorf("%d days gave %v, which is valid", days, p.MaxAge)
		}
	}
	if got := cunjing.DaysMaxAge(90); got != 90*24*time.Hour || (cunjing.LoginPolicy{MaxAge: got}).MaxAgeDays() != 90 {
		t.Errorf("90 days = %v", got)
	}
}
