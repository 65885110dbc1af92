// Package app holds Zonewalk's use cases: what the GUI and the command line
// both do to an audit workspace. Screens and commands call app; app calls
// store and the domain packages. Nothing here knows about Fyne or Badger.
package app
