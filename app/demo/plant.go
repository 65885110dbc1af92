package demo

import "github.com/zonewalk/zonewalk/assets"

// Zone IDs are fixed so that golden files and scripts can name them.
const (
	ZoneEnterprise = "zone-enterprise"
	ZoneDMZ        = "zone-idmz"
	ZoneSCADA      = "zone-scada"
	ZoneFiltration = "zone-filtration"
	ZoneDosing     = "zone-dosing"
	ZoneSIS        = "zone-sis"
	ZoneRemote     = "zone-remote"
	ZoneTransient  = "zone-transient"
)

var zones = []assets.Zone{
	{Meta: assets.Meta{ID: ZoneEnterprise}, Name: "Enterprise IT",
		Description:  "Corporate network of the water authority: ERP, e-mail, office workstations. Outside the system under consideration; shown for its conduits.",
		PurdueLevels: []assets.Purdue{assets.Purdue4, assets.Purdue5}, SLT: assets.UniformSL(1),
		Rationale: assets.Rationale{Safety: 1, Environment: 1, Operations: 2, Finance: 3, Reputation: 3, Likelihood: 4,
			TolerableRisk: "Medium", Text: "No direct influence on the process; compromise matters only as a path towards the DMZ.",
			ApprovedBy: "J. Hartley, Head of Operations", ApprovedAt: "2026-03-12"}},
	{Meta: assets.Meta{ID: ZoneDMZ}, Name: "Industrial DMZ",
		Description:  "Brokers all traffic between corporate IT and operations: historian replica, patch and anti-malware distribution, remote access jump host.",
		PurdueLevels: []assets.Purdue{assets.Purdue35}, SLT: assets.SLVector{2, 2, 2, 2, 3, 2, 2},
		Rationale: assets.Rationale{Safety: 2, Environment: 2, Operations: 3, Finance: 3, Reputation: 3, Likelihood: 4,
			TolerableRisk: "Low", Text: "Single crossing point between IT and OT; restricted data flow is raised to SL 3 because a breach here exposes every control zone.",
			ApprovedBy: "J. Hartley, Head of Operations", ApprovedAt: "2026-03-12"}},
	{Meta: assets.Meta{ID: ZoneSCADA}, Name: "SCADA & Operations",
		Description:  "Control room: SCADA servers, operator HMIs, engineering workstations, the site historian and the OT domain controller.",
		PurdueLevels: []assets.Purdue{assets.Purdue2, assets.Purdue3}, SLT: assets.UniformSL(2),
		Rationale: assets.Rationale{Safety: 3, Environment: 3, Operations: 4, Finance: 3, Reputation: 4, Likelihood: 3,
			TolerableRisk: "Low", Text: "Loss of view or control of the whole works; operators can fall back to local panels for up to 8 hours.",
			ApprovedBy: "J. Hartley, Head of Operations", ApprovedAt: "2026-03-12"}},
	{Meta: assets.Meta{ID: ZoneFiltration}, Name: "Filtration Control",
		Description:  "PLCs, remote I/O and drives of the rapid gravity filters, backwash and clear-water pumps.",
		PurdueLevels: []assets.Purdue{assets.Purdue0, assets.Purdue1}, SLT: assets.SLVector{2, 2, 3, 1, 2, 1, 3},
		Rationale: assets.Rationale{Safety: 3, Environment: 4, Operations: 4, Finance: 3, Reputation: 4, Likelihood: 3,
			TolerableRisk: "Low", Text: "Manipulated filter runs can pass turbid water into supply; integrity and availability weigh most.",
			ApprovedBy: "J. Hartley, Head of Operations", ApprovedAt: "2026-03-12"}},
	{Meta: assets.Meta{ID: ZoneDosing}, Name: "Chemical Dosing Control",
		Description:  "Chlorine, coagulant and pH correction dosing PLCs, analysers and dosing pump drives.",
		PurdueLevels: []assets.Purdue{assets.Purdue0, assets.Purdue1}, SLT: assets.SLVector{3, 3, 3, 2, 3, 2, 3},
		Rationale: assets.Rationale{Safety: 5, Environment: 4, Operations: 4, Finance: 3, Reputation: 5, Likelihood: 3,
			TolerableRisk: "Very low", Text: "Over- or under-dosing of chlorine harms public health within hours; a deliberate attack here is credible.",
			ApprovedBy: "J. Hartley, Head of Operations", ApprovedAt: "2026-03-12"}},
	{Meta: assets.Meta{ID: ZoneSIS}, Name: "Safety Instrumented System",
		Description:  "Chlorine store gas detection and emergency shut-off (SIL 2), independent of the basic process control.",
		PurdueLevels: []assets.Purdue{assets.Purdue1}, SLT: assets.UniformSL(3),
		Rationale: assets.Rationale{Safety: 5, Environment: 5, Operations: 3, Finance: 4, Reputation: 5, Likelihood: 2,
			TolerableRisk: "Very low", Text: "Failure on demand exposes staff and neighbours to chlorine gas.",
			ApprovedBy: "J. Hartley, Head of Operations", ApprovedAt: "2026-03-12"}},
	{Meta: assets.Meta{ID: ZoneRemote}, Name: "Remote Pumping Stations",
		Description:  "Five unmanned booster stations reached by licensed UHF radio; RTUs and radio modems.",
		PurdueLevels: []assets.Purdue{assets.Purdue1}, SLT: assets.UniformSL(2),
		Rationale: assets.Rationale{Safety: 2, Environment: 3, Operations: 3, Finance: 2, Reputation: 3, Likelihood: 3,
			TolerableRisk: "Medium", Text: "Stations run on local control if the link fails; physical access is the larger exposure."}},
	{Meta: assets.Meta{ID: ZoneTransient}, Name: "Transient Devices",
		Description:  "Contractor and maintenance laptops and the portable media kiosk; connected only for a maintenance job.",
		PurdueLevels: []assets.Purdue{assets.Purdue2}, SLT: assets.UniformSL(2)},
}

var conduits = []assets.Conduit{
	{Meta: assets.Meta{ID: "conduit-it-dmz"}, Name: "C1 Enterprise – DMZ", From: ZoneEnterprise, To: ZoneDMZ,
		Flows:     []assets.Flow{{Protocol: "HTTPS", Ports: "443"}, {Protocol: "RDP", Ports: "3389"}},
		Direction: assets.Bidirectional, Controls: []assets.Control{assets.ControlFirewall, assets.ControlMFA}, SLT: assets.UniformSL(2),
		Policy: "Corporate users read the historian replica over HTTPS. RDP only to the jump host, with MFA. Everything else denied."},
	{Meta: assets.Meta{ID: "conduit-dmz-scada"}, Name: "C2 DMZ – SCADA", From: ZoneDMZ, To: ZoneSCADA,
		Flows:     []assets.Flow{{Protocol: "OPC UA", Ports: "4840"}, {Protocol: "WSUS", Ports: "8530"}, {Protocol: "RDP", Ports: "3389"}},
		Direction: assets.Bidirectional, Controls: []assets.Control{assets.ControlFirewall, assets.ControlIDS}, SLT: assets.UniformSL(2),
		Policy: "Historian replication pushed from SCADA; patches and signatures pulled from the DMZ; RDP from the jump host to the EWS only."},
	{Meta: assets.Meta{ID: "conduit-scada-filtration"}, Name: "C3 SCADA – Filtration", From: ZoneSCADA, To: ZoneFiltration,
		Flows:     []assets.Flow{{Protocol: "S7comm", Ports: "102"}, {Protocol: "Modbus/TCP", Ports: "502"}},
		Direction: assets.Bidirectional, Controls: []assets.Control{assets.ControlFirewall}, SLT: assets.UniformSL(2),
		Policy: "SCADA servers and EWS to filter PLCs only; rules reviewed quarterly."},
	{Meta: assets.Meta{ID: "conduit-scada-dosing"}, Name: "C4 SCADA – Dosing", From: ZoneSCADA, To: ZoneDosing,
		Flows:     []assets.Flow{{Protocol: "EtherNet/IP", Ports: "44818"}},
		Direction: assets.Bidirectional, Controls: []assets.Control{assets.ControlFirewall}, SLT: assets.UniformSL(3)},
	{Meta: assets.Meta{ID: "conduit-sis-scada"}, Name: "C5 SIS status to SCADA", From: ZoneSIS, To: ZoneSCADA,
		Flows:     []assets.Flow{{Protocol: "Modbus/TCP", Ports: "502"}},
		Direction: assets.FromToTo, Controls: []assets.Control{assets.ControlDataDiode}, SLT: assets.UniformSL(3),
		Policy: "One-way status from the SIS to SCADA through a hardware data diode; no path into the SIS."},
	{Meta: assets.Meta{ID: "conduit-scada-remote"}, Name: "C6 Telemetry to pumping stations", From: ZoneSCADA, To: ZoneRemote,
		Flows:     []assets.Flow{{Protocol: "DNP3", Ports: "20000"}},
		Direction: assets.Bidirectional, Controls: []assets.Control{assets.ControlVPN, assets.ControlFirewall}, SLT: assets.UniformSL(2),
		Policy: "DNP3 polling over licensed UHF radio, encrypted by the radio modems; front-end firewall allows DNP3 only."},
	{Meta: assets.Meta{ID: "conduit-vendor-remote"}, Name: "C7 Vendor remote access", From: ZoneDMZ, To: "",
		Flows:     []assets.Flow{{Protocol: "IPsec VPN", Ports: "udp/500,4500"}, {Protocol: "HTTPS", Ports: "443"}},
		Direction: assets.Bidirectional, Controls: []assets.Control{assets.ControlVPN, assets.ControlJumpHost, assets.ControlMFA},
		RemoteAccess: true, SLT: assets.UniformSL(2),
		Policy: "SCADA vendor support reaches the jump host over VPN with MFA. Sessions are not recorded and the account is permanently enabled."},
	{Meta: assets.Meta{ID: "conduit-usb-transfer"}, Name: "C8 Portable media transfer", From: ZoneTransient, To: ZoneFiltration,
		Flows:     []assets.Flow{{Protocol: "USB mass storage"}},
		Direction: assets.FromToTo, Controls: []assets.Control{assets.ControlMediaScanning, assets.ControlApproval},
		Temporary: true, SLT: assets.UniformSL(2),
		Policy: "PLC program updates on USB sticks scanned at the media kiosk and approved by the shift supervisor."},
	{Meta: assets.Meta{ID: "conduit-legacy-historian"}, Name: "C9 Legacy historian query", From: ZoneEnterprise, To: ZoneSCADA,
		Flows:     []assets.Flow{{Protocol: "MS SQL", Ports: "1433"}},
		Direction: assets.Bidirectional, SLT: assets.UniformSL(1)},
}

// a builds a demo asset with the fields every row has.
func a(id, tag string, t assets.AssetType, vendor, model, fw, zone string, p assets.Purdue, ip string, crit assets.Criticality, bldg, cab string) assets.Asset {
	as := assets.Asset{Meta: assets.Meta{ID: id}, Tag: tag, Type: t, Vendor: vendor, Model: model, Firmware: fw,
		Zone: zone, Purdue: p, Criticality: crit, Location: assets.Location{Building: bldg, Cabinet: cab}}
	if ip != "" {
		as.IPs = []string{ip}
	}
	return as
}

func demoAssets() []assets.Asset {
	const (
		low, med, high, crit  = assets.CriticalityLow, assets.CriticalityMed, assets.CriticalityHigh, assets.CriticalityCrit
		ctrl, dmzRoom, office = "Control building", "Server room", "Admin block"
		filt, dose, chl, sis  = "Filter hall", "Chemical building", "Chlorine store", "Chlorine store"
	)
	list := []assets.Asset{
		// Enterprise IT
		a("asset-erp01", "ERP-01", assets.TypeServer, "Dell", "PowerEdge R650", "SAP ECC 6.0 EhP8", ZoneEnterprise, assets.Purdue4, "172.16.10.20", med, office, "IT-R1"),
		a("asset-ws-ops", "WS-OPSMGR", assets.TypeWorkstation, "HP", "EliteDesk 800 G6", "Windows 11 23H2", ZoneEnterprise, assets.Purdue4, "172.16.20.51", low, office, ""),
		a("asset-corp-fw", "FW-CORP-01", assets.TypeFirewall, "Palo Alto Networks", "PA-3220", "PAN-OS 10.2.9", ZoneEnterprise, assets.Purdue5, "172.16.0.1", high, office, "IT-R1"),
		// Industrial DMZ
		a("asset-fw-itot", "FW-ITOT-01", assets.TypeFirewall, "Fortinet", "FortiGate 100F", "FortiOS 7.2.8", ZoneDMZ, assets.Purdue35, "10.35.0.1", crit, ctrl, dmzRoom),
		a("asset-hist-rep", "HIST-REP-01", assets.TypeHistorian, "AVEVA", "PI Server (replica)", "PI Data Archive 2018 SP3", ZoneDMZ, assets.Purdue35, "10.35.0.20", med, ctrl, dmzRoom),
		a("asset-jump", "JUMP-01", assets.TypeServer, "Microsoft", "Windows Server 2019 RDS", "10.0.17763", ZoneDMZ, assets.Purdue35, "10.35.0.30", high, ctrl, dmzRoom),
		a("asset-wsus", "WSUS-01", assets.TypeServer, "Microsoft", "WSUS on Windows Server 2019", "10.0.17763", ZoneDMZ, assets.Purdue35, "10.35.0.40", med, ctrl, dmzRoom),
		a("asset-av", "AV-EPO-01", assets.TypeServer, "Trellix", "ePolicy Orchestrator", "5.10 U15", ZoneDMZ, assets.Purdue35, "10.35.0.41", med, ctrl, dmzRoom),
		a("asset-dmz-sw", "SW-DMZ-01", assets.TypeNetwork, "Cisco", "Catalyst 9300", "IOS-XE 17.9.4", ZoneDMZ, assets.Purdue35, "10.35.0.2", high, ctrl, dmzRoom),
		// SCADA & Operations
		a("asset-scada-a", "SCADA-SRV-A", assets.TypeServer, "AVEVA", "System Platform 2020 R2", "2020 R2 SP1", ZoneSCADA, assets.Purdue2, "10.20.1.10", crit, ctrl, "OT-R1"),
		a("asset-scada-b", "SCADA-SRV-B", assets.TypeServer, "AVEVA", "System Platform 2020 R2", "2020 R2 SP1", ZoneSCADA, assets.Purdue2, "10.20.1.11", crit, ctrl, "OT-R1"),
		a("asset-hist", "HIST-01", assets.TypeHistorian, "AVEVA", "PI Server", "PI Data Archive 2018 SP3", ZoneSCADA, assets.Purdue3, "10.20.1.20", high, ctrl, "OT-R1"),
		a("asset-dc", "DC-OT-01", assets.TypeServer, "Microsoft", "Windows Server 2016 AD DS", "10.0.14393", ZoneSCADA, assets.Purdue3, "10.20.1.5", high, ctrl, "OT-R1"),
		a("asset-opc", "OPC-GW-01", assets.TypeServer, "Kepware", "KEPServerEX", "6.12", ZoneSCADA, assets.Purdue2, "10.20.1.30", high, ctrl, "OT-R1"),
		a("asset-hmi1", "HMI-CR-01", assets.TypeHMI, "AVEVA", "InTouch 2020", "2020 R2", ZoneSCADA, assets.Purdue2, "10.20.2.11", high, ctrl, "Control room"),
		a("asset-hmi2", "HMI-CR-02", assets.TypeHMI, "AVEVA", "InTouch 2020", "2020 R2", ZoneSCADA, assets.Purdue2, "10.20.2.12", high, ctrl, "Control room"),
		a("asset-hmi3", "HMI-CR-03", assets.TypeHMI, "AVEVA", "InTouch 2014", "2014 R2 SP1", ZoneSCADA, assets.Purdue2, "10.20.2.13", high, ctrl, "Control room"),
		a("asset-hmi4", "HMI-LAB-01", assets.TypeHMI, "AVEVA", "InTouch 2014", "", ZoneSCADA, assets.Purdue2, "10.20.2.20", med, ctrl, "Laboratory"),
		a("asset-ews1", "EWS-01", assets.TypeEWS, "Siemens", "TIA Portal V17 on Field PG M6", "V17 Update 6", ZoneSCADA, assets.Purdue2, "10.20.3.10", crit, ctrl, "Engineering office"),
		a("asset-ews2", "EWS-02", assets.TypeEWS, "Rockwell Automation", "Studio 5000 on Dell Precision", "V33", ZoneSCADA, assets.Purdue2, "10.20.3.11", crit, ctrl, "Engineering office"),
		a("asset-sw-core", "SW-OT-CORE", assets.TypeNetwork, "Hirschmann", "DRAGON MACH4000", "09.4.03", ZoneSCADA, assets.Purdue2, "10.20.0.2", crit, ctrl, "OT-R1"),
		a("asset-sw-cr", "SW-OT-CR", assets.TypeNetwork, "Hirschmann", "RSP35", "09.1.00", ZoneSCADA, assets.Purdue2, "10.20.0.3", high, ctrl, "Control room"),
		a("asset-printer", "PRN-CR-01", assets.TypeOther, "Brother", "HL-L6400DW", "", ZoneSCADA, assets.Purdue2, "10.20.2.90", low, ctrl, "Control room"),
		// Filtration Control
		a("asset-plc101", "PLC-101", assets.TypePLC, "Siemens", "S7-1516-3 PN/DP", "V2.9.4", ZoneFiltration, assets.Purdue1, "10.1.1.10", crit, filt, "CP-101"),
		a("asset-plc102", "PLC-102", assets.TypePLC, "Siemens", "S7-1516-3 PN/DP", "V2.9.4", ZoneFiltration, assets.Purdue1, "10.1.1.11", crit, filt, "CP-102"),
		a("asset-plc103", "PLC-103", assets.TypePLC, "Siemens", "S7-1515-2 PN", "V2.8.3", ZoneFiltration, assets.Purdue1, "10.1.1.12", high, filt, "CP-103"),
		a("asset-plc104", "PLC-104", assets.TypePLC, "Siemens", "S7-315-2 PN/DP", "V3.2.17", ZoneFiltration, assets.Purdue1, "10.1.1.13", high, filt, "CP-104"),
		a("asset-et1", "RIO-101", assets.TypePLC, "Siemens", "ET 200SP IM155-6 PN HF", "V4.2", ZoneFiltration, assets.Purdue1, "10.1.1.30", med, filt, "CP-101"),
		a("asset-et2", "RIO-102", assets.TypePLC, "Siemens", "ET 200SP IM155-6 PN HF", "V4.2", ZoneFiltration, assets.Purdue1, "10.1.1.31", med, filt, "CP-102"),
		a("asset-vfd1", "VFD-BW-01", assets.TypeDrive, "Danfoss", "VLT AQUA FC 202", "", ZoneFiltration, assets.Purdue0, "10.1.2.21", high, filt, "MCC-1"),
		a("asset-vfd2", "VFD-BW-02", assets.TypeDrive, "Danfoss", "VLT AQUA FC 202", "", ZoneFiltration, assets.Purdue0, "10.1.2.22", high, filt, "MCC-1"),
		a("asset-vfd3", "VFD-CW-01", assets.TypeDrive, "ABB", "ACQ580", "2.15", ZoneFiltration, assets.Purdue0, "10.1.2.23", crit, filt, "MCC-2"),
		a("asset-turb", "AT-TURB-01", assets.TypeSensor, "Hach", "TU5300 sc", "", ZoneFiltration, assets.Purdue0, "", high, filt, ""),
		a("asset-hmi-fp", "HMI-FP-01", assets.TypeHMI, "Siemens", "TP1200 Comfort", "V16", ZoneFiltration, assets.Purdue1, "10.1.1.50", med, filt, "CP-101"),
		a("asset-sw-filt", "SW-FILT-01", assets.TypeNetwork, "Siemens", "SCALANCE XC208", "V4.3", ZoneFiltration, assets.Purdue1, "10.1.1.2", high, filt, "CP-101"),
		a("asset-fw-filt", "FW-CELL-FILT", assets.TypeFirewall, "Siemens", "SCALANCE SC646-2C", "V3.0", ZoneFiltration, assets.Purdue1, "10.1.1.1", crit, filt, "CP-101"),
		// Chemical Dosing Control
		a("asset-plc201", "PLC-201", assets.TypePLC, "Rockwell Automation", "ControlLogix 1756-L83E", "33.011", ZoneDosing, assets.Purdue1, "10.2.1.10", crit, dose, "CP-201"),
		a("asset-plc202", "PLC-202", assets.TypePLC, "Rockwell Automation", "CompactLogix 5380", "33.011", ZoneDosing, assets.Purdue1, "10.2.1.11", crit, dose, "CP-202"),
		a("asset-plc203", "PLC-203", assets.TypePLC, "Rockwell Automation", "MicroLogix 1400", "21.003", ZoneDosing, assets.Purdue1, "10.2.1.12", high, chl, "CP-203"),
		a("asset-cl-an", "AT-CL2-01", assets.TypeSensor, "Endress+Hauser", "CCS51D + Liquiline CM44", "01.07.00", ZoneDosing, assets.Purdue0, "10.2.2.31", crit, dose, ""),
		a("asset-ph-an", "AT-PH-01", assets.TypeSensor, "Endress+Hauser", "Liquiline CM44", "01.07.00", ZoneDosing, assets.Purdue0, "10.2.2.32", high, dose, ""),
		a("asset-dp1", "DP-CL2-01", assets.TypeDrive, "Grundfos", "DDA 30-4", "", ZoneDosing, assets.Purdue0, "10.2.2.41", crit, dose, ""),
		a("asset-dp2", "DP-CL2-02", assets.TypeDrive, "Grundfos", "DDA 30-4", "", ZoneDosing, assets.Purdue0, "10.2.2.42", crit, dose, ""),
		a("asset-sw-dose", "SW-DOSE-01", assets.TypeNetwork, "Rockwell Automation", "Stratix 5700", "15.2(8)E2", ZoneDosing, assets.Purdue1, "10.2.1.2", high, dose, "CP-201"),
		// Safety Instrumented System
		a("asset-sis1", "SIS-CL2-01", assets.TypeSIS, "HIMA", "HIMax X-CPU 31", "CPU OS V8", ZoneSIS, assets.Purdue1, "10.9.1.10", crit, sis, "SIS-01"),
		a("asset-gd", "GD-CL2-01", assets.TypeSensor, "Dräger", "Polytron 8100 EC Cl2", "", ZoneSIS, assets.Purdue0, "", crit, sis, ""),
		a("asset-sis-ews", "EWS-SIS-01", assets.TypeEWS, "HIMA", "SILworX 12 on laptop", "12.0.0", ZoneSIS, assets.Purdue1, "10.9.1.50", crit, sis, "Locked cupboard"),
		a("asset-diode", "DIODE-SIS-01", assets.TypeNetwork, "Waterfall Security", "Unidirectional Gateway", "8.1", ZoneSIS, assets.Purdue1, "10.9.1.2", crit, sis, "SIS-01"),
		a("asset-sis-panel", "HMI-SIS-LOCAL", assets.TypeHMI, "Siemens", "KTP700 Basic", "V15", ZoneSIS, assets.Purdue1, "10.9.1.60", med, sis, "SIS-01"),
		// Remote Pumping Stations
		a("asset-rtu1", "RTU-PS01", assets.TypeRTU, "Schneider Electric", "SCADAPack 470", "9.8.1", ZoneRemote, assets.Purdue1, "10.5.1.10", high, "Pumping station 1", "RTU"),
		a("asset-rtu2", "RTU-PS02", assets.TypeRTU, "Schneider Electric", "SCADAPack 470", "9.8.1", ZoneRemote, assets.Purdue1, "10.5.2.10", high, "Pumping station 2", "RTU"),
		a("asset-rtu3", "RTU-PS03", assets.TypeRTU, "Schneider Electric", "SCADAPack 357", "2.33", ZoneRemote, assets.Purdue1, "10.5.3.10", med, "Pumping station 3", "RTU"),
		a("asset-rtu4", "RTU-PS04", assets.TypeRTU, "Schneider Electric", "SCADAPack 357", "2.33", ZoneRemote, assets.Purdue1, "10.5.4.10", med, "Pumping station 4", "RTU"),
		a("asset-rtu5", "RTU-PS05", assets.TypeRTU, "Schneider Electric", "SCADAPack 470", "9.8.1", ZoneRemote, assets.Purdue1, "10.5.5.10", high, "Pumping station 5", "RTU"),
		a("asset-radio-m", "RAD-MASTER", assets.TypeWireless, "4RF", "Aprisa SR+", "1.10.3", ZoneSCADA, assets.Purdue1, "10.20.0.50", high, ctrl, "Telemetry rack"),
		a("asset-radio1", "RAD-PS01", assets.TypeWireless, "4RF", "Aprisa SR+", "1.10.3", ZoneRemote, assets.Purdue1, "10.5.1.2", med, "Pumping station 1", "RTU"),
		a("asset-radio2", "RAD-PS02", assets.TypeWireless, "4RF", "Aprisa SR+", "1.9.0", ZoneRemote, assets.Purdue1, "10.5.2.2", med, "Pumping station 2", "RTU"),
		// Transient Devices
		a("asset-laptop-v", "LT-VENDOR-01", assets.TypeTransient, "Dell", "Latitude 5430 (contractor)", "Windows 10 22H2", ZoneTransient, assets.Purdue2, "", high, ctrl, "Engineering office"),
		a("asset-laptop-m", "LT-MAINT-01", assets.TypeTransient, "Panasonic", "Toughbook 55", "Windows 10 22H2", ZoneTransient, assets.Purdue2, "", high, ctrl, "Engineering office"),
		a("asset-kiosk", "KIOSK-USB-01", assets.TypeWorkstation, "OPSWAT", "MetaDefender Kiosk K2100", "4.7.1", ZoneTransient, assets.Purdue2, "", med, ctrl, "Entrance"),
		// Unassigned: found on site, not yet placed in a zone.
		a("asset-unknown-sw", "SW-UNMANAGED-?", assets.TypeNetwork, "Netgear", "GS108 (unmanaged)", "", "", assets.Purdue1, "", med, filt, "CP-104"),
	}
	set := func(id string, f func(*assets.Asset)) {
		for i := range list {
			if list[i].ID == id {
				f(&list[i])
			}
		}
	}
	set("asset-plc104", func(x *assets.Asset) {
		x.EndOfLife = true
		x.Notes = "S7-300 range discontinued; spares from the second-hand market. Replacement planned in the 2027 capital programme."
	})
	set("asset-hmi3", func(x *assets.Asset) { x.EndOfLife = true; x.Notes = "Runs Windows 7 Embedded." })
	set("asset-hmi4", func(x *assets.Asset) {
		x.EndOfLife = true
		x.Notes = "Windows 7; version label unreadable, owner to confirm."
	})
	set("asset-plc203", func(x *assets.Asset) { x.EndOfLife = true })
	set("asset-sis1", func(x *assets.Asset) { x.SLC = 3; x.Certificate = "IEC 62443-4-2 SL 3 (vendor certificate on file)" })
	set("asset-diode", func(x *assets.Asset) { x.SLC = 3; x.Certificate = "IEC 62443-4-2 SL 3" })
	set("asset-plc201", func(x *assets.Asset) { x.SLC = 2; x.Certificate = "IEC 62443-4-2 SL 2 (1756-L8 series)" })
	set("asset-plc101", func(x *assets.Asset) { x.SLC = 2; x.Serial = "S C-X4U123456"; x.MACs = []string{"28:63:36:a1:b2:c3"} })
	for _, id := range []string{"asset-radio-m", "asset-radio1", "asset-radio2"} {
		set(id, func(x *assets.Asset) { x.Wireless = true })
	}
	set("asset-unknown-sw", func(x *assets.Asset) {
		x.Notes = "Found in cabinet CP-104 linking PLC-104 to an unlabelled cable. Owner unknown."
	})
	for i := range list {
		if list[i].Owner == "" {
			switch list[i].Zone {
			case ZoneEnterprise:
				list[i].Owner = "Corporate IT"
			case ZoneDMZ, ZoneSCADA:
				list[i].Owner = "OT Systems team"
			default:
				list[i].Owner = "Process & Instrumentation"
			}
		}
	}
	return list
}
