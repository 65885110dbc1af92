package checks

import (
	"errors"
	"fmt"

	"github.com/zonewalk/zonewalk/assets"
)

// Errors callers tell apart with errors.Is. All of them also match
// assets.ErrInvalid, because each is a kind of bad input.
var (
	ErrBadSeverity           = fmt.Errorf("%w: unknown severity", assets.ErrInvalid)
	ErrBadStatus             = fmt.Errorf("%w: unknown finding status", assets.ErrInvalid)
	ErrJustificationRequired = fmt.Errorf("%w: accepting a finding requires a justification", assets.ErrInvalid)
	ErrNoToday               = errors.New("checks: the model has no date to judge reviews against")
)
