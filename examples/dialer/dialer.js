// A minimal outbound app: takes the next record of the "leads" campaign and results it.
const service = window.genesys.wwe.service;
const status = document.getElementById("status");

document.getElementById("next").addEventListener("click", async () => {
  try {
    const preview = (await service.outbound.getPreviewRecord("leads")).data;
    const fields = (await service.outbound.getRecordFields(preview)).data;
    await service.outbound.setCallResult(preview, "Answer");
    status.textContent = `Resulted ${fields.name}`;
  } catch (error) {
    status.textContent = String(error?.message ?? error?.errorMessage);
  }
});
