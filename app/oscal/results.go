package oscal

import (
	"cmp"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/checks"
	"github.com/zonewalk/zonewalk/checklist"
)

// builder holds what the assessment results and the POA&M share: the
// subjects, the evidence, and the observation, risk and finding of each
// Zonewalk finding.
type builder struct {
	s   *source
	cat *catalogIndex

	subjects  map[assets.Ref]subjectRef // zone, conduit, asset, audit → subject
	byID      map[string]assets.Ref     // record ID → ref, for Covers
	resources map[string]string         // evidence ID → resource UUID
	owned     map[assets.Ref][]string   // owner → evidence IDs
	evidence  map[string]assets.Evidence
	answerObs map[string]string // answer ID → observation UUID
	tool      string            // UUID of the Zonewalk component
	templates map[string]*checklist.Template
}

func newBuilder(s *source, cat *catalogIndex) *builder {
	b := &builder{s: s, cat: cat, subjects: map[assets.Ref]subjectRef{}, byID: map[string]assets.Ref{},
		resources: map[string]string{}, owned: map[assets.Ref][]string{}, evidence: map[string]assets.Evidence{},
		answerObs: map[string]string{}, templates: map[string]*checklist.Template{}}
	b.tool = id("tool", "zonewalk")
	auditRef := assets.Ref{Kind: "audit", ID: s.audit.ID}
	b.subjects[auditRef] = subjectRef{SubjectUUID: id("audit", s.audit.ID), Type: "component", Title: line(firstNonEmpty(s.audit.Site, s.audit.Title, "System under consideration"))}
	for _, z := range s.zones {
		r := assets.Ref{Kind: "zone", ID: z.ID}
		b.subjects[r] = subjectRef{SubjectUUID: id("zone", z.ID), Type: "component", Title: line(firstNonEmpty(z.Name, z.ID))}
		b.byID[z.ID] = r
	}
	for _, c := range s.conduits {
		r := assets.Ref{Kind: "conduit", ID: c.ID}
		b.subjects[r] = subjectRef{SubjectUUID: id("conduit", c.ID), Type: "component", Title: line(firstNonEmpty(c.Name, c.ID))}
		b.byID[c.ID] = r
	}
	for _, a := range s.assets {
		r := assets.Ref{Kind: "asset", ID: a.ID}
		b.subjects[r] = subjectRef{SubjectUUID: id("asset", a.ID), Type: "inventory-item", Title: line(firstNonEmpty(a.Title(), a.ID))}
		b.byID[a.ID] = r
	}
	ev := slices.Clone(s.evidence)
	slices.SortFunc(ev, func(x, y assets.Evidence) int { return cmp.Compare(x.ID, y.ID) })
	s.evidence = ev
	for _, e := range ev {
		b.evidence[e.ID] = e
		b.resources[e.ID] = id("evidence", e.ID)
		b.owned[e.Owner] = append(b.owned[e.Owner], e.ID)
	}
	for _, t := range s.templates {
		b.templates[t.ID] = t
	}
	return b
}

// localDefs lists the system under consideration, the zones, conduits and
// assets, and Zonewalk itself.
func (b *builder) localDefs() *localDefs {
	s := b.s
	zoneName := map[string]string{}
	for _, z := range s.zones {
		zoneName[z.ID] = z.Name
	}
	var ld localDefs
	auditRef := assets.Ref{Kind: "audit", ID: s.audit.ID}
	var ap props
	ap.add("audit-id", s.audit.ID)
	ap.add("site", s.audit.Site)
	ap.add("location", s.audit.Location)
	ld.Components = append(ld.Components, component{
		UUID: b.subjects[auditRef].SubjectUUID, Type: "this-system", Title: b.subjects[auditRef].Title,
		Description: firstNonEmpty(s.audit.Scope, s.audit.Title, "The system under consideration."), Props: ap,
		Links: b.evidenceLinks(auditRef), Status: componentStatus{State: "operational"},
	})
	for _, z := range s.zones {
		r := assets.Ref{Kind: "zone", ID: z.ID}
		var p props
		p.add("record-kind", "zone")
		p.add("record-id", z.ID)
		for _, l := range z.PurdueLevels {
			p.add("purdue-level", string(l))
		}
		for i, fr := range assets.FRs {
			if l := z.SLT[i]; l > 0 {
				p.addClass("sl-t", fmt.Sprintf("fr%d", fr.Number()), itoa(l))
			}
		}
		if sla, ok := s.sla[z.ID]; ok {
			for i, fr := range assets.FRs {
				p.addClass("sl-a", fmt.Sprintf("fr%d", fr.Number()), itoa(sla[i]))
			}
		}
		if !z.SLT.IsZero() {
			p.add("sl-t-vector", z.SLT.String())
		}
		p.add("rationale-approved-by", z.Rationale.ApprovedBy)
		p.add("rationale-approved-at", z.Rationale.ApprovedAt)
		ld.Components = append(ld.Components, component{
			UUID: b.subjects[r].SubjectUUID, Type: "network", Title: b.subjects[r].Title,
			Description: firstNonEmpty(z.Description, "Zone "+z.Name), Props: p,
			Links: b.evidenceLinks(r), Status: componentStatus{State: "operational"},
		})
	}
	for _, c := range s.conduits {
		r := assets.Ref{Kind: "conduit", ID: c.ID}
		var p props
		p.add("record-kind", "conduit")
		p.add("record-id", c.ID)
		p.add("from-zone", zoneName[c.From])
		p.add("to-zone", firstNonEmpty(zoneName[c.To], "External"))
		p.add("direction", string(c.Direction))
		for _, f := range c.Flows {
			p.add("flow", f.String())
		}
		for _, ctl := range c.Controls {
			p.add("control", string(ctl))
		}
		if c.RemoteAccess {
			p.add("remote-access", "true")
		}
		if c.Temporary {
			p.add("temporary", "true")
		}
		for i, fr := range assets.FRs {
			if l := c.SLT[i]; l > 0 {
				p.addClass("sl-t", fmt.Sprintf("fr%d", fr.Number()), itoa(l))
			}
		}
		ld.Components = append(ld.Components, component{
			UUID: b.subjects[r].SubjectUUID, Type: "interconnection", Title: b.subjects[r].Title,
			Description: firstNonEmpty(c.Policy, "Conduit "+c.Name), Props: p,
			Links: b.evidenceLinks(r), Status: componentStatus{State: "operational"},
		})
	}
	ld.Components = append(ld.Components, component{
		UUID: b.tool, Type: "software", Title: "Zonewalk",
		Description: "The audit workbench that ran the model checks and wrote this file.",
		Status:      componentStatus{State: "operational"},
	})
	for _, a := range s.assets {
		r := assets.Ref{Kind: "asset", ID: a.ID}
		var p props
		p.nist("asset-tag", a.Tag)
		p.add("record-id", a.ID)
		p.add("name", a.Name)
		p.add("asset-type", string(a.Type))
		p.nist("vendor-name", a.Vendor)
		p.nist("hardware-model", a.Model)
		p.nist("version", a.Firmware)
		p.nist("serial-number", a.Serial)
		for _, ip := range a.IPs {
			if addr, err := netip.ParseAddr(strings.TrimSpace(ip)); err == nil && addr.Is4() {
				p.nist("ipv4-address", addr.String())
			} else if err == nil {
				p.nist("ipv6-address", addr.String())
			} else {
				p.add("ip-address", ip)
			}
		}
		for _, mac := range a.MACs {
			if hw, err := net.ParseMAC(strings.TrimSpace(mac)); err == nil && len(hw) == 6 {
				p.nist("mac-address", hw.String())
			} else {
				p.add("mac-address", mac)
			}
		}
		p.add("purdue-level", string(a.Purdue))
		p.add("zone", zoneName[a.Zone])
		p.add("criticality", string(a.Criticality))
		p.add("building", a.Location.Building)
		p.add("room", a.Location.Room)
		p.add("cabinet", a.Location.Cabinet)
		p.add("owner", a.Owner)
		if a.EndOfLife {
			p.add("end-of-life", "true")
		}
		if a.Wireless {
			p.add("wireless", "true")
		}
		if a.SLC > 0 {
			p.add("sl-c", itoa(a.SLC))
		}
		p.add("certificate", a.Certificate)
		item := inventoryItem{
			UUID:        b.subjects[r].SubjectUUID,
			Description: line(strings.Join(nonEmpty(a.Title(), a.Name, a.Type.Label(), a.Vendor, a.Model), " — ")),
			Props:       p, Links: b.evidenceLinks(r), Remarks: strings.TrimSpace(a.Notes),
		}
		if zr := (assets.Ref{Kind: "zone", ID: a.Zone}); a.Zone != "" {
			if sub, ok := b.subjects[zr]; ok {
				item.ImplementedComponents = []implementedComp{{ComponentUUID: sub.SubjectUUID}}
			}
		}
		if item.Description == "" {
			item.Description = "Asset " + a.ID
		}
		ld.InventoryItems = append(ld.InventoryItems, item)
	}
	return &ld
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func (b *builder) evidenceLinks(owner assets.Ref) []link {
	var out []link
	for _, e := range b.owned[owner] {
		out = append(out, link{Href: "#" + b.resources[e], Rel: "evidence", Text: line(b.evidence[e].Name)})
	}
	return out
}

// relevantEvidence lists the evidence named by ids and the evidence owned
// by owner, each once.
func (b *builder) relevantEvidence(ids []string, owner assets.Ref) []evidenceRef {
	var out []evidenceRef
	seen := map[string]bool{}
	for _, e := range append(slices.Clone(ids), b.owned[owner]...) {
		u, ok := b.resources[e]
		if !ok || seen[e] {
			continue
		}
		seen[e] = true
		ev := b.evidence[e]
		out = append(out, evidenceRef{Href: "#" + u, Description: firstNonEmpty(strings.TrimSpace(strings.Join(nonEmpty(ev.Name, ev.Caption), ": ")), ev.SHA256)})
	}
	return out
}

// backMatter holds one resource per piece of evidence (hash and name, no
// bytes), after the extra resources given.
func (b *builder) backMatter(extra ...resource) *backMatter {
	res := slices.Clone(extra)
	for _, e := range b.s.evidence {
		var p props
		p.add("size", fmt.Sprint(e.Size))
		p.add("taken-at", e.TakenAt)
		p.add("owner-kind", e.Owner.Kind)
		r := resource{UUID: b.resources[e.ID], Title: line(firstNonEmpty(e.Name, e.ID)), Description: strings.TrimSpace(e.Caption), Props: p}
		if e.SHA256 != "" {
			r.RLinks = []rlink{{
				Href:      "evidence/" + url.PathEscape(e.SHA256) + "/" + url.PathEscape(firstNonEmpty(e.Name, "file")),
				MediaType: line(e.MediaType),
				Hashes:    []hash{{Algorithm: "SHA-256", Value: strings.ToLower(e.SHA256)}},
			}}
		}
		res = append(res, r)
	}
	if len(res) == 0 {
		return nil
	}
	return &backMatter{Resources: res}
}

// collected is when an answer was given: its time, else the audit's start,
// else the data date.
func (b *builder) collected(answeredAt string) string {
	if t, err := time.Parse(time.RFC3339, strings.TrimSpace(answeredAt)); err == nil && t.Year() >= 1900 && t.Year() < 3000 {
		return dateTime(t)
	}
	if d, ok := dayTime(b.s.audit.StartDate, 0, 0, 0); ok {
		return d
	}
	return dateTime(b.s.modified)
}

// answerObservations makes one observation per checklist answer.
func (b *builder) answerObservations() []observation {
	var out []observation
	for _, a := range b.s.answers {
		t := b.templates[a.Template]
		subject := assets.Ref{Kind: "audit", ID: b.s.audit.ID}
		where := ""
		if a.Zone != "" {
			subject = assets.Ref{Kind: "zone", ID: a.Zone}
			where = " — zone " + firstNonEmpty(b.subjects[subject].Title, a.Zone)
		}
		std := a.Template
		title := a.Item
		if t != nil {
			std = firstNonEmpty(t.Standard, t.ID)
			if it := t.Item(a.Item); it != nil && it.Title != "" {
				title = a.Item + " " + it.Title
			}
		}
		desc := "Status: " + a.Status.Label() + "."
		if a.Maturity > 0 {
			desc += fmt.Sprintf(" Maturity: ML%d.", a.Maturity)
		}
		if n := strings.TrimSpace(a.Note); n != "" {
			desc += " Note: " + n
		}
		var p props
		p.add("record-id", a.ID)
		p.add("checklist-status", string(a.Status))
		p.add("template", a.Template)
		p.add("item", a.Item)
		p.add("control-id", b.cat.itemControl(a.Template, a.Item))
		if a.Maturity > 0 {
			p.add("maturity", fmt.Sprintf("ML%d", a.Maturity))
		}
		p.add("answered-by", a.AnsweredBy)
		methods := []string{"EXAMINE"}
		if t != nil && t.Kind == checklist.KindProgram {
			methods = []string{"INTERVIEW"}
		}
		ev := b.relevantEvidence(a.Evidence, assets.Ref{Kind: "answer", ID: a.ID})
		if len(ev) > 0 && !slices.Contains(methods, "EXAMINE") {
			methods = append(methods, "EXAMINE")
		}
		u := id("answer", a.ID)
		b.answerObs[a.ID] = u
		o := observation{
			UUID: u, Title: line(std + " " + title + where), Description: desc, Props: p,
			Methods: methods, Types: []string{"control-objective"}, RelevantEvidence: ev, Collected: b.collected(a.AnsweredAt),
		}
		if sub, ok := b.subjects[subject]; ok {
			o.Subjects = []subjectRef{sub}
		}
		out = append(out, o)
	}
	return out
}

// findingParts makes the OSCAL finding and risk of a Zonewalk finding, and
// its own observation unless it is a checklist finding whose answer is
// already an observation.
func (b *builder) findingParts(f *checks.Finding) (finding, risk, *observation) {
	var obsUUID string
	var own *observation
	if f.Source == checks.SourceChecklist {
		obsUUID = b.answerObs[checklist.AnswerID(f.Template, f.Item, zoneOf(f))]
	}
	if obsUUID == "" {
		obsUUID = id("finding-observation", f.ID)
		own = &observation{
			UUID: obsUUID, Title: line(f.Title), Description: firstNonEmpty(f.Detail, f.Title),
			Methods: []string{"EXAMINE"}, Types: []string{"finding"},
			RelevantEvidence: b.relevantEvidence(f.Evidence, assets.Ref{Kind: "finding", ID: f.ID}),
			Collected:        b.findingTime(f),
		}
		var p props
		p.add("source", string(f.Source))
		p.add("subject-name", f.SubjectName)
		own.Props = p
		seen := map[string]bool{}
		addSubject := func(r assets.Ref) {
			if sub, ok := b.subjects[r]; ok && !seen[sub.SubjectUUID] {
				seen[sub.SubjectUUID] = true
				own.Subjects = append(own.Subjects, sub)
			}
		}
		addSubject(f.Subject)
		for _, r := range f.Related {
			addSubject(r)
		}
		for _, c := range f.Covers {
			if r, ok := b.byID[c]; ok {
				addSubject(r)
			}
		}
	}

	var p props
	p.add("record-id", f.ID)
	p.add("source", string(f.Source))
	p.add("rule-id", f.RuleID)
	p.add("template", f.Template)
	p.add("item", f.Item)
	p.add("severity", f.Severity.String())
	p.add("status", string(f.Status))
	p.add("owner", f.Owner)
	p.add("due", f.Due)
	for _, r := range f.References {
		p.add("reference", r)
	}
	state, reason := "not-satisfied", "fail"
	if f.Status == checks.StatusClosed {
		state, reason = "satisfied", "pass"
	}
	ctl := b.cat.findingControl(f)
	riskUUID := id("risk", f.ID)
	fd := finding{
		UUID: id("finding", f.ID), Title: line(f.Title), Description: firstNonEmpty(f.Detail, f.Title), Props: p,
		Target:              target{Type: "objective-id", TargetID: ctl + "_obj", Status: targetStatus{State: state, Reason: reason}},
		RelatedObservations: []relatedObs{{ObservationUUID: obsUUID}},
		RelatedRisks:        []relatedRisk{{RiskUUID: riskUUID}},
		Remarks:             remarks(f),
	}

	statement := ""
	if r, ok := checks.RuleByID(f.RuleID); ok && f.Source == checks.SourceRule {
		statement = r.Explanation
	}
	var rp props
	rp.add("severity", f.Severity.String())
	rp.add("finding-status", string(f.Status))
	rk := risk{
		UUID: riskUUID, Title: line(f.Title), Description: firstNonEmpty(f.Detail, f.Title),
		Statement: firstNonEmpty(statement, f.Detail, f.Title), Props: rp, Status: riskStatus(f.Status),
		RelatedObservations: []relatedObs{{ObservationUUID: obsUUID}},
	}
	if f.Severity.Valid() {
		rk.Characterizations = []characterization{{
			Origin: origin{Actors: []actor{{Type: "tool", ActorUUID: b.tool}}},
			Facets: []facet{{Name: "severity", System: NS, Value: f.Severity.String()}},
		}}
	}
	if d, ok := dayTime(f.Due, 23, 59, 59); ok {
		rk.Deadline = d
	}
	if rec := strings.TrimSpace(f.Recommendation); rec != "" {
		rk.Remediations = []response{{UUID: id("remediation", f.ID), Lifecycle: "recommendation", Title: "Recommendation", Description: rec}}
	}
	return fd, rk, own
}

func zoneOf(f *checks.Finding) string {
	if f.Subject.Kind == "zone" {
		return f.Subject.ID
	}
	return ""
}

func (b *builder) findingTime(f *checks.Finding) string {
	if !f.Version.IsZero() {
		if t := f.Version.Time(); t.Year() >= 1900 && t.Year() < 3000 {
			return dateTime(t)
		}
	}
	return dateTime(b.s.modified)
}

func remarks(f *checks.Finding) string {
	var parts []string
	if j := strings.TrimSpace(f.Justification); j != "" {
		parts = append(parts, "Justification: "+j)
	}
	if r := strings.TrimSpace(f.Resolution); r != "" {
		parts = append(parts, "Resolution: "+r)
	}
	if n := strings.TrimSpace(f.Notes); n != "" {
		parts = append(parts, "Notes: "+n)
	}
	return strings.Join(parts, "\n\n")
}

func riskStatus(s checks.Status) string {
	switch s {
	case checks.StatusAccepted:
		return "deviation-approved"
	case checks.StatusClosed:
		return "closed"
	}
	return "open"
}

// metadata is the document metadata of the results and the POA&M.
func (b *builder) metadata(title string) metadata {
	a := b.s.audit
	var p props
	p.nist("marking", firstNonEmpty(a.Classification, assets.DefaultClassification))
	p.add("audit-id", a.ID)
	p.add("site", a.Site)
	p.add("location", a.Location)
	for _, st := range a.Standards {
		p.add("standard", st)
	}
	m := metadata{
		Title: line(title + ": " + firstNonEmpty(a.Title, a.Site, a.ID)), LastModified: dateTime(b.s.modified),
		Version: b.s.version, OSCALVersion: Version, Props: p,
		Remarks: "Written by Zonewalk. Targets refer to Zonewalk's own catalog (zonewalk oscal --model catalog), not an official IEC 62443 catalog.",
	}
	var auditors []string
	seen := map[string]bool{}
	for _, name := range a.Auditors {
		if n := line(name); n != "" && !seen[n] {
			seen[n] = true
			u := id("party", "auditor:"+n)
			m.Parties = append(m.Parties, party{UUID: u, Type: "person", Name: n})
			auditors = append(auditors, u)
		}
	}
	if len(auditors) > 0 {
		m.Roles = append(m.Roles, role{ID: "assessor", Title: "Assessor"})
		m.ResponsibleParties = append(m.ResponsibleParties, responsibleParty{RoleID: "assessor", PartyUUIDs: auditors})
	}
	if o := line(a.Owner); o != "" {
		u := id("party", "owner:"+o)
		m.Parties = append(m.Parties, party{UUID: u, Type: "organization", Name: o})
		m.Roles = append(m.Roles, role{ID: "asset-owner", Title: "Asset owner"})
		m.ResponsibleParties = append(m.ResponsibleParties, responsibleParty{RoleID: "asset-owner", PartyUUIDs: []string{u}})
	}
	return m
}

// assessment builds the assessment results.
func assessment(s *source, cat *catalogIndex, res *Result) *assessmentResults {
	b := newBuilder(s, cat)
	noPlan := resource{
		UUID: id("note", "no-assessment-plan:"+s.audit.ID), Title: "No separate assessment plan",
		Description: "Zonewalk keeps no OSCAL assessment plan: the audit's scope is the result's description and the controls " +
			"assessed are its reviewed controls, which refer to Zonewalk's own catalog (zonewalk oscal --model catalog).",
	}
	r := result{
		UUID: id("result", s.audit.ID), Title: line(firstNonEmpty(s.audit.Title, s.audit.Site, "Site assessment")),
		Description: firstNonEmpty(s.audit.Scope, "IEC 62443 site assessment of "+firstNonEmpty(s.audit.Site, s.audit.Title, s.audit.ID)+"."),
		Start:       dateTime(s.modified),
	}
	if d, ok := dayTime(s.audit.StartDate, 0, 0, 0); ok {
		r.Start = d
	}
	if d, ok := dayTime(s.audit.EndDate, 23, 59, 59); ok && d >= r.Start {
		r.End = d
	}
	r.LocalDefinitions = b.localDefs()

	// Reviewed: the items answered, in catalog order of their IDs, and
	// every model check (they all ran).
	var items []selectControl
	seen := map[string]bool{}
	for _, a := range s.answers {
		if c := cat.itemControl(a.Template, a.Item); !seen[c] {
			seen[c] = true
			items = append(items, selectControl{ControlID: c})
		}
	}
	slices.SortFunc(items, func(x, y selectControl) int { return cmp.Compare(x.ControlID, y.ControlID) })
	var rules []selectControl
	for _, ru := range checks.Rules() {
		rules = append(rules, selectControl{ControlID: cat.rules[ru.ID]})
	}
	r.ReviewedControls.Description = "Checklist items answered in this audit, and Zonewalk's model checks."
	if len(items) > 0 {
		r.ReviewedControls.ControlSelections = append(r.ReviewedControls.ControlSelections,
			controlSelection{Description: "Answered checklist items", IncludeControls: items})
	}
	r.ReviewedControls.ControlSelections = append(r.ReviewedControls.ControlSelections,
		controlSelection{Description: "Zonewalk model checks", IncludeControls: rules})

	r.Observations = b.answerObservations()
	for i := range s.findings {
		fd, rk, own := b.findingParts(&s.findings[i])
		if own != nil {
			r.Observations = append(r.Observations, *own)
		}
		r.Risks = append(r.Risks, rk)
		r.Findings = append(r.Findings, fd)
	}
	res.Observations, res.Findings = len(r.Observations), len(r.Findings)
	bm := b.backMatter(noPlan)
	res.Evidence = len(s.evidence)
	return &assessmentResults{
		UUID: placeholder, Metadata: b.metadata("Assessment results"),
		ImportAP: importRef{Href: "#" + noPlan.UUID, Remarks: "There is no separate assessment plan; see the back-matter resource."},
		Results:  []result{r}, BackMatter: bm,
	}
}

// planOfAction builds the POA&M: one item per open or accepted finding.
func planOfAction(s *source, cat *catalogIndex, res *Result) *poam {
	b := newBuilder(s, cat)
	p := &poam{UUID: placeholder, Metadata: b.metadata("Plan of action and milestones")}
	// Answer observations are needed only for the findings listed; make
	// them all (to learn their UUIDs) and keep those referred to.
	all := b.answerObservations()
	keep := map[string]bool{}
	var owned []observation
	for i := range s.findings {
		f := &s.findings[i]
		if f.Status != checks.StatusOpen && f.Status != checks.StatusAccepted {
			continue
		}
		fd, rk, own := b.findingParts(f)
		if own != nil {
			owned = append(owned, *own)
		} else {
			keep[fd.RelatedObservations[0].ObservationUUID] = true
		}
		var ip props
		ip.add("record-id", f.ID)
		ip.add("status", string(f.Status))
		ip.add("severity", f.Severity.String())
		ip.add("owner", f.Owner)
		ip.add("due", f.Due)
		ip.add("source", string(f.Source))
		ip.add("rule-id", f.RuleID)
		p.Findings = append(p.Findings, fd)
		p.Risks = append(p.Risks, rk)
		p.POAMItems = append(p.POAMItems, poamItem{
			UUID: id("poam-item", f.ID), Title: line(f.Title),
			Description:         firstNonEmpty(strings.TrimSpace(f.Recommendation), f.Detail, f.Title),
			Props:               ip,
			RelatedFindings:     []relatedFinding{{FindingUUID: fd.UUID}},
			RelatedObservations: fd.RelatedObservations,
			RelatedRisks:        fd.RelatedRisks,
		})
	}
	for _, o := range all {
		if keep[o.UUID] {
			p.Observations = append(p.Observations, o)
		}
	}
	p.Observations = append(p.Observations, owned...)
	p.LocalDefinitions = b.localDefs()
	p.BackMatter = b.backMatter()
	res.Observations, res.Findings, res.POAMItems = len(p.Observations), len(p.Findings), len(p.POAMItems)
	res.Evidence = len(s.evidence)
	return p
}
