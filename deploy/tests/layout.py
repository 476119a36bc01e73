from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ["patients", "careplans", "scheduling", "billing", "notifications"]
