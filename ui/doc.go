// Package ui is Zonewalk's desktop interface, built with Fyne. One file per
// screen; screens call package app, never the store.
package ui
