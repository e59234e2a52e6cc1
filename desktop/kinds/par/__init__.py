"""PAR index (Chỉ số CCHC): criteria sets, scoring sheets and the analysis report."""
